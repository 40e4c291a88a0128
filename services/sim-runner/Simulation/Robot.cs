namespace Platform.SimRunner.Simulation;

/// <summary>
/// A holonomic disc robot. Velocities (<see cref="Vx"/>, <see cref="Vy"/>, <see cref="Wz"/>) and the command
/// they track are in the body frame (x forward, y left); the pose is in the world frame.
/// </summary>
public sealed class Robot(RobotDefinition definition)
{
    public RobotDefinition Definition { get; } = definition;
    public string Name => Definition.Name;
    public double Radius => Definition.Radius;

    public double X { get; set; }
    public double Y { get; set; }
    public double Yaw { get; set; }
    public double Vx { get; set; }
    public double Vy { get; set; }
    public double Wz { get; set; }
    public double CmdVx { get; private set; }
    public double CmdVy { get; private set; }
    public double CmdWz { get; private set; }
    public long Collisions { get; internal set; }

    /// <summary>Sets the velocity the robot accelerates toward, clamped to its speed limits.</summary>
    public void Command(double linearX, double linearY, double angularZ)
    {
        var speed = Math.Sqrt(linearX * linearX + linearY * linearY);
        var scale = speed > Definition.MaxLinearSpeed ? Definition.MaxLinearSpeed / speed : 1.0;
        CmdVx = linearX * scale;
        CmdVy = linearY * scale;
        CmdWz = Math.Clamp(angularZ, -Definition.MaxAngularSpeed, Definition.MaxAngularSpeed);
    }

    /// <summary>Sets the velocity at once (no acceleration limit) and makes it the command: the safety brake.</summary>
    public void ForceVelocity(double vx, double vy, double wz)
    {
        Vx = vx;
        Vy = vy;
        Wz = wz;
        CmdVx = vx;
        CmdVy = vy;
        CmdWz = wz;
    }

    /// <summary>The largest velocity component in magnitude (m/s or rad/s).</summary>
    public double MaxSpeedComponent => Math.Max(Math.Abs(Vx), Math.Max(Math.Abs(Vy), Math.Abs(Wz)));

    internal void PlaceAt(double x, double y, double yaw)
    {
        X = x;
        Y = y;
        Yaw = yaw;
        ForceVelocity(0, 0, 0);
        Collisions = 0;
    }
}
