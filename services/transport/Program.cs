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

// The tests boot this Program through WebApplicationFactory<Program> (ARCHITECTURE.md section 12).
public partial class Program;
