namespace PropertyEba.Simulators.Devices;

/// <summary>Something that draws electrical power (pumps, fans, a sub-meter's feeder).</summary>
internal interface IElectricalLoad
{
    /// <summary>Active power drawn now.</summary>
    double PowerKw { get; }
}

/// <summary>Something a water meter can measure: a flow.</summary>
internal interface IWaterFlowSource
{
    /// <summary>Flow now.</summary>
    double FlowM3PerHour { get; }
}

/// <summary>A tank that something fills and whose level a controller watches.</summary>
internal interface IWaterTank
{
    double LevelM { get; }

    /// <summary>Registers a device whose delivered flow goes into this tank.</summary>
    void AddFiller(ITankFiller filler);
}

/// <summary>A device that delivers water into a tank (a pump set).</summary>
internal interface ITankFiller
{
    double DeliveredFlowM3PerHour { get; }
}

/// <summary>A device that can put water on the floor (a burst pipe, an overflowing tank).</summary>
internal interface IFloodSource
{
    bool Flooding { get; }
}

/// <summary>A fire alarm source (the fire panel).</summary>
internal interface IFireAlarmSource
{
    bool FireAlarm { get; }
}

/// <summary>The fire pumps, as the fire mains feel them.</summary>
internal interface IFirePumps
{
    bool MainPumpRunning { get; }

    bool JockeyPumpRunning { get; }
}

/// <summary>The fire main pressure, as the fire pump controller senses it.</summary>
internal interface IFireMainPressure
{
    double FireMainPressureKpa { get; }
}

/// <summary>A standby source (the generator) that can carry the estate's load when mains fails.</summary>
internal interface IStandbySupply
{
    bool SupplyingLoad { get; }
}
