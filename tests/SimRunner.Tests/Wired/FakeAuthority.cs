using System.Text.Json;
using Platform.Contracts.Subjects;
using NATS.Client.Core;

namespace Platform.SimRunner.Tests.Wired;

/// <summary>Plays the safety authority for sim-only tests: safety.state at 5 Hz until stopped.</summary>
internal sealed class FakeAuthority : IAsyncDisposable
{
    private readonly CancellationTokenSource _cts = new();
    private readonly Task _task;

    public FakeAuthority(INatsConnection nats, SafetyMode mode = SafetyMode.Armed)
    {
        _task = Task.Run(async () =>
        {
            long id = 0;
            using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
            do
            {
                var state = new SafetyStateMessage(++id, mode, "test authority", 0, []);
                await nats.PublishAsync(SubjectNames.SafetyState, JsonSerializer.SerializeToUtf8Bytes(state, SubjectsJsonContext.Default.SafetyStateMessage));
                LastPublished = DateTimeOffset.UtcNow;
            }
            while (await timer.WaitForNextTickAsync(_cts.Token).ConfigureAwait(false));
        });
    }

    public DateTimeOffset LastPublished { get; private set; }

    public async ValueTask DisposeAsync()
    {
        await _cts.CancelAsync();
        try { await _task; } catch (OperationCanceledException) { }
        _cts.Dispose();
    }
}
