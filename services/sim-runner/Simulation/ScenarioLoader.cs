using System.Text.Json;

namespace Platform.SimRunner.Simulation;

/// <summary>Reads and validates scenario JSON; a bad file fails with a message that says what to fix.</summary>
public static class ScenarioLoader
{
    /// <summary>The scenario shipped with the service (copied next to the binary).</summary>
    public static string DefaultPath => Path.Combine(AppContext.BaseDirectory, "scenarios", "default.json");

    public static ScenarioDefinition LoadFile(string path)
    {
        if (!File.Exists(path))
            throw new InvalidDataException($"Scenario file '{path}' does not exist: set SimRunner:ScenarioPath to a scenario JSON file.");
        return Parse(File.ReadAllText(path), path);
    }

    public static ScenarioDefinition Parse(string json, string origin = "scenario")
    {
        ScenarioDefinition? scenario;
        try
        {
            scenario = JsonSerializer.Deserialize(json, ScenarioJsonContext.Default.ScenarioDefinition);
        }
        catch (JsonException ex)
        {
            throw new InvalidDataException($"{origin}: not valid scenario JSON ({ex.Message}).", ex);
        }
        if (scenario is null) throw new InvalidDataException($"{origin}: empty scenario.");
        Validate(scenario, origin);
        return scenario;
    }

    private static void Validate(ScenarioDefinition s, string origin)
    {
        void Fail(string what) => throw new InvalidDataException($"{origin}: {what}.");
        if (string.IsNullOrWhiteSpace(s.Name)) Fail("name is required");
        if (s.Bounds is null) Fail("bounds are required");
        if (!(s.Bounds!.MaxX > s.Bounds.MinX && s.Bounds.MaxY > s.Bounds.MinY)) Fail("bounds must have max_x > min_x and max_y > min_y");
        if (s.Robots is null || s.Robots.Count == 0) Fail("at least one robot is required");
        if (s.StartJitterM < 0 || s.StartJitterRad < 0) Fail("start jitter must not be negative");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var r in s.Robots!)
        {
            if (string.IsNullOrWhiteSpace(r.Name) || r.Name.Contains('.') || r.Name.Contains('*') || r.Name == "sim" || r.Name == "safety")
                Fail($"robot name '{r.Name}' is invalid (non-empty, no '.' or '*', not 'sim' or 'safety')");
            if (!names.Add(r.Name)) Fail($"robot name '{r.Name}' is used twice");
            if (!(r.Radius > 0 && r.MaxLinearSpeed > 0 && r.MaxAngularSpeed > 0 && r.MaxLinearAccel > 0 && r.MaxAngularAccel > 0))
                Fail($"robot '{r.Name}' needs positive radius, speeds and accelerations");
            if (!double.IsFinite(r.X) || !double.IsFinite(r.Y) || !double.IsFinite(r.Yaw)) Fail($"robot '{r.Name}' has a non-finite pose");
        }
        foreach (var o in s.Obstacles ?? [])
        {
            var ok = o.Shape switch
            {
                "circle" => o.Radius > 0,
                "box" => o.Width > 0 && o.Height > 0,
                _ => false,
            };
            if (!ok) Fail($"obstacle at ({o.X}, {o.Y}) must be a circle with radius > 0 or a box with width and height > 0");
        }
    }
}
