namespace Platform.Grpc;

/// <summary>Names of the gRPC library's ActivitySource and Meter, for ServiceDefaults' AddSource/AddMeter.</summary>
public static class GrpcTelemetry
{
    public const string ActivitySourceName = "Platform.Grpc";
    public const string MeterName = "Platform.Grpc";
}
