using Platform.Encoder.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddEncoder();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<EncoderGrpcService>();
app.Run();
