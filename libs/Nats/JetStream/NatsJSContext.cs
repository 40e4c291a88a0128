using System.Text.Json.Serialization.Metadata;
using Platform.Nats.JetStream.Internal;

namespace Platform.Nats.JetStream;

/// <summary>JetStream API access over a connection (shape of NATS.Net's <c>NatsJSContext</c>); enough for key-value buckets.</summary>
public sealed class NatsJSContext(INatsConnection connection)
{
    private const string ApiPrefix = "$JS.API";

    public INatsConnection Connection { get; } = connection;

    /// <summary>Calls <c>$JS.API.{api}</c> and throws <see cref="NatsJSApiException"/> when the response carries an error.</summary>
    internal async Task<TResponse> RequestAsync<TRequest, TResponse>(string api, TRequest? request, JsonTypeInfo<TRequest> requestType,
        JsonTypeInfo<TResponse> responseType, CancellationToken cancellationToken)
        where TResponse : JSApiResponse
    {
        NatsMsg<TResponse> reply;
        try
        {
            reply = await Connection.RequestAsync($"{ApiPrefix}.{api}", request, requestSerializer: new JsonTypeInfoSerializer<TRequest>(requestType),
                replySerializer: new JsonTypeInfoSerializer<TResponse>(responseType), cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (NatsNoRespondersException ex)
        {
            throw new NatsJSException("JetStream is not enabled on this nats-server: start it with --jetstream (-js).", ex);
        }
        var response = reply.Data ?? throw new NatsJSException($"JetStream API {api} returned an empty response.");
        if (response.Error is { } error) throw new NatsJSApiException(error.Code, error.ErrCode, error.Description ?? "", api);
        return response;
    }
}
