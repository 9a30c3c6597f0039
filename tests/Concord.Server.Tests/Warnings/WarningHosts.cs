using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Warnings;

/// <summary>The warning tests run the engine and the weekly drafting themselves, at the instants they choose.</summary>
public sealed class WarningSqliteHost : SqliteHost
{
    protected override IDictionary<string, string?> Settings => WarningSettings.Values;
}

public sealed class WarningPostgresHost : PostgresHost
{
    protected override IDictionary<string, string?> Settings => WarningSettings.Values;
}

internal static class WarningSettings
{
    public static Dictionary<string, string?> Values => new()
    {
        ["Concord:Warnings:RunSeconds"] = "0",
        ["Concord:Bulletins:DraftSeconds"] = "0",
    };
}
