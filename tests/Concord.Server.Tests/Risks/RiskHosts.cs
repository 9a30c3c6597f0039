using Concord.Server.Tests.Infrastructure;

namespace Concord.Server.Tests.Risks;

/// <summary>A SQLite demo host whose clock stands still (deadline tests compare instants exactly); starts Thursday 2026-11-26 09:30 in Beijing.</summary>
public sealed class SqliteRiskHost : SqliteHost
{
    protected override TimeSpan AutoAdvance => TimeSpan.Zero;
}

/// <summary>The PostgreSQL twin of <see cref="SqliteRiskHost"/>.</summary>
public sealed class PostgresRiskHost : PostgresHost
{
    protected override TimeSpan AutoAdvance => TimeSpan.Zero;
}
