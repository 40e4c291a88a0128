using System.Text.Json.Serialization;

namespace Platform.SimRunner.Simulation;

/// <summary>A scenario file: the arena, its static obstacles and the robots' nominal start poses.</summary>
public sealed record ScenarioDefinition(
    string Name,
    int Seed,
    Bounds Bounds,
    IReadOnlyList<ObstacleDefinition> Obstacles,
    IReadOnlyList<RobotDefinition> Robots,
    double StartJitterM = 0,
    double StartJitterRad = 0);

/// <summary>The walls: an axis-aligned rectangle the robots stay inside.</summary>
public sealed record Bounds(double MinX, double MinY, double MaxX, double MaxY);

/// <summary>A static obstacle: <c>circle</c> (x, y, radius) or <c>box</c> (centre x, y, width, height; axis-aligned).</summary>
public sealed record ObstacleDefinition(string Shape, double X, double Y, double Radius = 0, double Width = 0, double Height = 0);

/// <summary>A holonomic robot: a disc with speed and acceleration limits.</summary>
public sealed record RobotDefinition(
    string Name,
    double X,
    double Y,
    double Yaw = 0,
    double Radius = 0.3,
    double MaxLinearSpeed = 1.5,
    double MaxAngularSpeed = 2.0,
    double MaxLinearAccel = 2.0,
    double MaxAngularAccel = 4.0);

[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    ReadCommentHandling = System.Text.Json.JsonCommentHandling.Skip,
    AllowTrailingCommas = true)]
[JsonSerializable(typeof(ScenarioDefinition))]
internal sealed partial class ScenarioJsonContext : JsonSerializerContext;
