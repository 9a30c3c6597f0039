using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;

namespace Concord.Server.Data;

// Used only by `dotnet ef migrations add`; the connection strings are never opened.

public sealed class SqliteDesignTimeFactory : IDesignTimeDbContextFactory<SqliteConcordDb>
{
    public SqliteConcordDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<SqliteConcordDb>().UseSqlite("Data Source=design.db").Options);
}

public sealed class PostgresDesignTimeFactory : IDesignTimeDbContextFactory<PostgresConcordDb>
{
    public PostgresConcordDb CreateDbContext(string[] args) =>
        new(new DbContextOptionsBuilder<PostgresConcordDb>().UseNpgsql("Host=localhost").Options);
}
