using Platform.SafetyAuthority.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddServiceDefaults();
builder.AddSafetyAuthority();

var app = builder.Build();
app.MapDefaultEndpoints();
app.MapGrpcService<SafetyAuthorityGrpcService>();
app.Run();
