namespace PropertyEba.Simulators.Devices;

/// <summary>The state the devices of one estate share: mains supply, standby supply and the daily demand curves.</summary>
internal sealed class EstateEnvironment
{
    // Fraction of peak demand, hour by hour (00:00..23:00), for domestic water in a residential estate:
    // quiet nights, a morning peak at 07:00-08:00 and an evening peak at 19:00-21:00.
    private static readonly double[] WaterDemandByHour =
    [
        0.12, 0.08, 0.06, 0.06, 0.08, 0.20, 0.55, 1.00, 0.90, 0.60, 0.50, 0.55,
        0.65, 0.55, 0.45, 0.45, 0.50, 0.65, 0.85, 1.00, 0.95, 0.75, 0.45, 0.25,
    ];

    // Fraction of peak base electrical load (lighting, lifts, common areas).
    private static readonly double[] PowerDemandByHour =
    [
        0.45, 0.40, 0.38, 0.38, 0.40, 0.50, 0.65, 0.80, 0.85, 0.80, 0.78, 0.80,
        0.82, 0.80, 0.78, 0.78, 0.80, 0.90, 1.00, 1.00, 0.98, 0.90, 0.70, 0.55,
    ];

    private readonly List<IStandbySupply> _standby = [];

    /// <summary>Whether the utility supply is present (false during a mains failure).</summary>
    public bool MainsAvailable { get; set; } = true;

    /// <summary>Whether the estate's switchboard is energised (mains, or a standby generator on load).</summary>
    public bool SupplyAvailable { get; private set; } = true;

    public void AddStandbySupply(IStandbySupply supply) => _standby.Add(supply);

    /// <summary>Recomputes <see cref="SupplyAvailable"/>; called at the start of each step.</summary>
    public void Update()
    {
        var supplied = MainsAvailable;
        foreach (var s in _standby)
        {
            supplied |= s.SupplyingLoad;
        }

        SupplyAvailable = supplied;
    }

    /// <summary>Domestic water demand as a fraction of peak, at the given local time (interpolated between hours).</summary>
    public static double WaterDemandFactor(DateTimeOffset localTime) => Interpolate(WaterDemandByHour, localTime);

    /// <summary>Base electrical load as a fraction of peak, at the given local time.</summary>
    public static double PowerDemandFactor(DateTimeOffset localTime) => Interpolate(PowerDemandByHour, localTime);

    private static double Interpolate(double[] byHour, DateTimeOffset localTime)
    {
        var hours = localTime.TimeOfDay.TotalHours;
        var h = (int)Math.Floor(hours) % 24;
        var frac = hours - Math.Floor(hours);
        return byHour[h] + (byHour[(h + 1) % 24] - byHour[h]) * frac;
    }
}
