using Platform.TelemetryTailer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTelemetryTailer();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTelemetryTailer();
app.Run();
