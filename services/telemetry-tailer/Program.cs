using Platform.TelemetryTailer;

var builder = WebApplication.CreateBuilder(args);
builder.AddTelemetryTailer();
var app = builder.Build();
app.MapTelemetryTailer();
app.Run();
