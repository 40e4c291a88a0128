// Placeholder until the real service lands (it will use ServiceDefaults): Kestrel endpoints come from
// Kestrel__Endpoints__*; /health is healthy once the NATS server in ConnectionStrings__nats accepts a connection.
var app = WebApplication.CreateBuilder(args).Build();
app.MapGet("/alive", () => "Healthy");
app.MapGet("/health", async (IConfiguration config) =>
{
    var nats = new Uri(config.GetConnectionString("nats") ?? "nats://127.0.0.1:4222");
    using var tcp = new System.Net.Sockets.TcpClient();
    try { await tcp.ConnectAsync(nats.Host, nats.Port); return Results.Text("Healthy"); }
    catch (System.Net.Sockets.SocketException) { return Results.Text("Unhealthy: NATS unreachable", statusCode: 503); }
});
app.Run();
