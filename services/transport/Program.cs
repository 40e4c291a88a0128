using Platform.Transport;
using Platform.Transport.Viewer;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddTransport();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapTransport();
app.MapViewer();
app.Run();
