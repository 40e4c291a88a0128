using Platform.Transport;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTransport();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTransport();
app.Run();
