using Platform.Contracts.Subjects;

namespace Platform.SimRunner.Signals;

/// <summary>One named value: <c>module.signal</c>, its unit, how to read it and, when writable, how to set it.</summary>
public sealed class Signal(string module, string name, string unit, Func<double> read, Action<double>? write)
{
    public string Module { get; } = module;
    public string Name { get; } = name;
    public string QualifiedName { get; } = module + "." + name;
    public string Unit { get; } = unit;
    public bool Writable => write is not null;

    public double Read() => read();

    internal void Write(double value) => write!(value);

    public SignalDescriptor Describe() => new(QualifiedName, Module, Unit, Writable);
}
