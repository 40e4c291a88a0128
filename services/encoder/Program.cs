using Platform.Encoder.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEncoder();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<EncoderGrpcService>();
app.Run();

// The tests boot this Program through WebApplicationFactory<Program> (ARCHITECTURE.md section 12).
public partial class Program;
