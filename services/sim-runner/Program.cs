using Platform.SimRunner.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSimRunner();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<SimControlGrpcService>();
app.Run();
