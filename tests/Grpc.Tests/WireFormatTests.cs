using Platform.Grpc.Shared;

namespace Platform.Grpc.Tests;

public sealed class WireFormatTests
{
    [Theory]
    [InlineData("1S", 1_000)]
    [InlineData("250m", 250)]
    [InlineData("2M", 120_000)]
    [InlineData("1H", 3_600_000)]
    [InlineData("1500000u", 1_500)]
    [InlineData("99999999n", 99)]
    public void Grpc_timeout_parses_every_unit(string header, double expectedMs)
    {
        Assert.True(GrpcTimeout.TryParse(header, out var timeout));
        Assert.Equal(expectedMs, Math.Floor(timeout.TotalMilliseconds));
    }

    [Theory]
    [InlineData("")]
    [InlineData("S")]
    [InlineData("123456789S")]
    [InlineData("10x")]
    [InlineData("-1S")]
    [InlineData("1.5S")]
    public void Grpc_timeout_rejects_malformed_values(string header) => Assert.False(GrpcTimeout.TryParse(header, out _));

    [Fact]
    public void Grpc_timeout_is_formatted_in_at_most_8_digits_and_never_shorter_than_asked()
    {
        foreach (var timeout in new[] { TimeSpan.FromMilliseconds(1), TimeSpan.FromSeconds(30), TimeSpan.FromHours(30), TimeSpan.FromDays(3650) })
        {
            var header = GrpcTimeout.Format(timeout);
            Assert.InRange(header.Length, 2, 9);
            Assert.True(GrpcTimeout.TryParse(header, out var parsed));
            Assert.True(parsed >= timeout, $"{header} < {timeout}");
        }
    }

    [Fact]
    public void Status_message_is_percent_encoded_as_the_spec_says()
    {
        Assert.Equal("plain ASCII stays", StatusMessageEncoding.Encode("plain ASCII stays"));
        Assert.Equal("100%25 %E2%9C%93%0A", StatusMessageEncoding.Encode("100% ✓\n"));
        Assert.Equal("100% ✓\n", StatusMessageEncoding.Decode("100%25 %E2%9C%93%0A"));
    }

    [Theory]
    [InlineData("bad %zz escape")]
    [InlineData("trailing %")]
    [InlineData("half %E2%9C")]
    public void Status_message_decoding_never_fails(string raw) => Assert.Equal(raw, StatusMessageEncoding.Decode(raw));
}
