namespace Platform.Media.Native;

/// <summary>
/// Offsets of the few AVFrame/AVPacket fields we touch, from FFmpeg 5.1's libavutil/frame.h and libavcodec/packet.h.
/// Only the leading fields that have not moved since FFmpeg 4; everything else goes through AVOptions.
/// </summary>
internal static class AvLayout
{
    // AVFrame: uint8_t *data[8]; int linesize[8]; uint8_t **extended_data; int width, height; int nb_samples;
    //          int format; int key_frame; enum AVPictureType pict_type; AVRational sample_aspect_ratio; int64_t pts;
    internal const int FrameData = 0;
    internal const int FrameLinesize = 64;
    internal const int FrameWidth = 104;
    internal const int FrameHeight = 108;
    internal const int FrameFormat = 116;
    internal const int FramePictType = 124;
    internal const int FramePts = 136;

    // AVPacket: AVBufferRef *buf; int64_t pts; int64_t dts; uint8_t *data; int size; int stream_index; int flags;
    internal const int PacketPts = 8;
    internal const int PacketData = 24;
    internal const int PacketSize = 32;
    internal const int PacketFlags = 40;

    internal const int PictureTypeNone = 0;
    internal const int PictureTypeI = 1;
    internal const int PacketFlagKey = 0x0001;
}
