using System.Net;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;

namespace Platform.ServiceDefaults.Http;

/// <summary>
/// A standard resilience pipeline for HttpClient built on Polly.Core, in place of Microsoft.Extensions.Http.Resilience
/// (absent here): a total timeout, retries with exponential backoff and jitter for transient failures, and a timeout
/// per attempt, with that package's defaults.
/// </summary>
public static class ResilienceHandlerExtensions
{
    public static IHttpClientBuilder AddStandardResilienceHandler(this IHttpClientBuilder builder)
    {
        builder.Services.AddOptions<HttpResilienceOptions>().BindConfiguration(HttpResilienceOptions.SectionName);
        return builder.AddHttpMessageHandler(services =>
        {
            var options = services.GetRequiredService<IOptions<HttpResilienceOptions>>().Value;
            var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>()
                .AddTimeout(options.TotalRequestTimeout)
                .AddRetry(new RetryStrategyOptions<HttpResponseMessage>
                {
                    MaxRetryAttempts = options.MaxRetryAttempts,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = options.RetryDelay,
                    ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome)),
                })
                .AddTimeout(options.AttemptTimeout)
                .Build();
            return new ResilienceHandler(pipeline);
        });
    }

    internal static bool IsTransient(Outcome<HttpResponseMessage> outcome) => outcome switch
    {
        { Exception: HttpRequestException or TimeoutRejectedException } => true,
        { Result: { } response } => response.StatusCode is >= HttpStatusCode.InternalServerError
            or HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests,
        _ => false,
    };
}
