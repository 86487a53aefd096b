namespace Portal.Components.Tests;

/// <summary>
/// Tests that check something happens within a bound (a call ended within a second) run on their own, after the
/// others: on two cores, the other test classes running beside them made the bound about the machine, not the portal.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class TimingGroup
{
    public const string Name = "Bounded in time, run alone";
}
