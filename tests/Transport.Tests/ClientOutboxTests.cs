using Platform.Transport.Clients;

namespace Platform.Transport.Tests;

public sealed class ClientOutboxTests
{
    private static Outbound Frame(int id, bool key, int size = 10)
    {
        var bytes = new byte[size];
        bytes[0] = (byte)id;
        return Outbound.Binary(bytes, key);
    }

    private static List<int> Drain(ClientOutbox outbox)
    {
        var ids = new List<int>();
        while (outbox.TryTake(false, out var m)) ids.Add(m.Buffer[0]);
        return ids;
    }

    [Fact]
    public void A_new_client_waits_for_a_keyframe_without_counting_losses()
    {
        var outbox = new ClientOutbox(4, 1000, 4, 4);
        Assert.Equal(VideoOffer.NeedsKeyframe, outbox.OfferVideo(Frame(1, false)));
        Assert.Equal(VideoOffer.Queued, outbox.OfferVideo(Frame(2, true)));
        Assert.Equal(VideoOffer.Queued, outbox.OfferVideo(Frame(3, false)));
        Assert.Equal([2, 3], Drain(outbox));
        Assert.Equal(0, outbox.DroppedVideoFrames);
    }

    [Fact]
    public void Overflow_skips_whole_frames_until_the_next_keyframe_which_replaces_stale_frames()
    {
        var outbox = new ClientOutbox(3, 1000, 4, 4);
        outbox.OfferVideo(Frame(1, true));
        outbox.OfferVideo(Frame(2, false));
        outbox.OfferVideo(Frame(3, false));
        Assert.Equal(VideoOffer.NeedsKeyframe, outbox.OfferVideo(Frame(4, false))); // full: skip from here
        Assert.Equal(1, outbox.TryTake(false, out var sent) ? sent.Buffer[0] : -1); // room again, but still skipping
        Assert.Equal(VideoOffer.NeedsKeyframe, outbox.OfferVideo(Frame(5, false)));
        Assert.Equal(VideoOffer.Queued, outbox.OfferVideo(Frame(6, true)));
        Assert.Equal([2, 3, 6], Drain(outbox));
        Assert.Equal(VideoOffer.Queued, outbox.OfferVideo(Frame(7, false)));
        Assert.Equal([7], Drain(outbox));
        Assert.Equal(2, outbox.DroppedVideoFrames);

        // A keyframe arriving to a full queue replaces the stale frames.
        outbox.OfferVideo(Frame(8, false));
        outbox.OfferVideo(Frame(9, false));
        outbox.OfferVideo(Frame(10, false));
        Assert.Equal(VideoOffer.Queued, outbox.OfferVideo(Frame(11, true)));
        Assert.Equal([11], Drain(outbox));
        Assert.Equal(5, outbox.DroppedVideoFrames);
    }

    [Fact]
    public void The_byte_bound_counts_too()
    {
        var outbox = new ClientOutbox(100, 25, 4, 4);
        outbox.OfferVideo(Frame(1, true));
        outbox.OfferVideo(Frame(2, false));
        Assert.Equal(VideoOffer.NeedsKeyframe, outbox.OfferVideo(Frame(3, false)));
    }

    [Fact]
    public void Telemetry_drops_its_oldest_and_control_goes_first()
    {
        var outbox = new ClientOutbox(4, 1000, 2, 4);
        outbox.OfferTelemetry(Frame(1, false));
        outbox.OfferTelemetry(Frame(2, false));
        outbox.OfferTelemetry(Frame(3, false));
        outbox.OfferControl(Frame(9, false));
        Assert.Equal([9, 2, 3], Drain(outbox));
        Assert.Equal(1, outbox.DroppedTelemetry);
    }

    [Fact]
    public void Video_and_telemetry_leave_in_the_order_they_came()
    {
        var outbox = new ClientOutbox(4, 1000, 4, 4);
        outbox.OfferVideo(Frame(1, true));
        outbox.OfferTelemetry(Frame(2, false));
        outbox.OfferVideo(Frame(3, false));
        Assert.Equal([1, 2, 3], Drain(outbox));
    }

    [Fact]
    public void After_complete_only_control_is_taken_and_offers_are_refused()
    {
        var outbox = new ClientOutbox(4, 1000, 4, 4);
        outbox.OfferVideo(Frame(1, true));
        outbox.OfferControl(Frame(2, false));
        outbox.Complete();
        Assert.Equal(VideoOffer.Closed, outbox.OfferVideo(Frame(3, true)));
        Assert.True(outbox.TryTake(true, out var m));
        Assert.Equal(2, m.Buffer[0]);
        Assert.False(outbox.TryTake(true, out _));
        Assert.True(outbox.WaitAsync().IsCompleted);
    }
}
