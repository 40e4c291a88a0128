using System.Text;
using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.Encoder.Tests.Wired;

/// <summary>Control requests on <c>video.&lt;stream&gt;.control</c> as a consumer (the recorder, the transport) sends them.</summary>
internal static class VideoControl
{
    public static async Task<VideoControlReply> RequestAsync(INatsConnection nats, string stream, string json)
    {
        var reply = await nats.RequestAsync<byte[], byte[]>(SubjectNames.VideoControl(stream), Encoding.UTF8.GetBytes(json),
            replyOpts: new NatsSubOpts { Timeout = TimeSpan.FromSeconds(5) });
        return JsonSerializer.Deserialize(reply.Data, SubjectsJsonContext.Default.VideoControlReply)!;
    }

    /// <summary>Takes a record lease (the longest by default, so a test's stream records throughout) and checks it was granted.</summary>
    public static async Task LeaseRecordAsync(INatsConnection nats, string stream, int leaseMs = VideoControlRequest.MaxRecordLeaseMs)
    {
        var reply = await RequestAsync(nats, stream, $"{{\"record\":true,\"lease_ms\":{leaseMs},\"reason\":\"test recorder\"}}");
        Assert.Null(reply.Error);
        Assert.Equal(leaseMs, reply.RecordLeaseMs);
    }
}
