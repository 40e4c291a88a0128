using Grpc.AspNetCore.Server.Internal;
using Microsoft.AspNetCore.Http;

namespace Grpc.Core;

/// <summary>Reaches the ASP.NET Core request behind a call (as Grpc.AspNetCore offers).</summary>
public static class ServerCallContextExtensions
{
    public static HttpContext GetHttpContext(this ServerCallContext serverCallContext) =>
        serverCallContext is HttpContextServerCallContext context
            ? context.HttpContext
            : throw new InvalidOperationException("This ServerCallContext does not come from an ASP.NET Core request.");
}
