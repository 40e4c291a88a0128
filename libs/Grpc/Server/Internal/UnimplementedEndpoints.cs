using Grpc.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Platform.Grpc.Shared;

namespace Grpc.AspNetCore.Server.Internal;

/// <summary>Answers UNIMPLEMENTED (Trailers-Only) to gRPC requests for paths no service maps; other requests fall through.</summary>
internal static class UnimplementedEndpoints
{
    public static void Map(IEndpointRouteBuilder endpoints, GrpcServiceRegistry registry)
    {
        if (registry.UnimplementedEndpointsMapped) return;
        registry.UnimplementedEndpointsMapped = true;
        var pattern = RoutePatternFactory.Parse("{unimplementedService}/{unimplementedMethod}", defaults: null,
            parameterPolicies: new RouteValueDictionary { ["unimplementedService"] = new GrpcContentTypeConstraint() });
        endpoints.Map(pattern, context =>
            {
                var service = context.Request.RouteValues["unimplementedService"] as string ?? "";
                var detail = registry.HasService(service) ? "Method is unimplemented." : "Service is unimplemented.";
                GrpcResponse.PrepareHeaders(context.Response);
                GrpcResponse.SetStatus(context.Response, new Status(StatusCode.Unimplemented, detail), null);
                return Task.CompletedTask;
            })
            .WithDisplayName("gRPC - Unimplemented");
    }

    /// <summary>
    /// Matches gRPC calls only (POST with a gRPC content type). The method is checked here rather than with
    /// HttpMethodMetadata: routing applies method metadata before constraints, so every other two-segment GET
    /// (a page's /js/main.js) would be answered 405 instead of reaching static files or a fallback.
    /// </summary>
    private sealed class GrpcContentTypeConstraint : IRouteConstraint
    {
        public bool Match(HttpContext? httpContext, IRouter? route, string routeKey, RouteValueDictionary values, RouteDirection routeDirection) =>
            httpContext is not null
            && HttpMethods.IsPost(httpContext.Request.Method)
            && GrpcProtocol.IsGrpcContentType(httpContext.Request.ContentType);
    }
}
