using Npgsql;

namespace Concord.Server.Tests.Infrastructure;

public sealed class PostgresServerTests
{
    private static CancellationToken Token => TestContext.Current.CancellationToken;

    [Fact]
    public async Task Creates_distinct_usable_databases_that_keep_chinese_text()
    {
        var server = await PostgresServer.RequireAsync();

        var first = await server.CreateDatabaseAsync("infra");
        var second = await server.CreateDatabaseAsync("infra");

        var firstName = new NpgsqlConnectionStringBuilder(first).Database;
        var secondName = new NpgsqlConnectionStringBuilder(second).Database;
        Assert.NotEqual(firstName, secondName);
        Assert.StartsWith("infra_", firstName);

        foreach (var connectionString in new[] { first, second })
        {
            await using var connection = new NpgsqlConnection(connectionString);
            await connection.OpenAsync(Token);
            Assert.Equal(new NpgsqlConnectionStringBuilder(connectionString).Database, await ScalarAsync<string>(connection, "SELECT current_database()"));

            // Empty at birth: the table made in the first database is not in the second.
            Assert.True(await ScalarAsync<bool>(connection, "SELECT to_regclass('public.matter') IS NULL"));
            await ExecuteAsync(connection, "CREATE TABLE matter (id serial PRIMARY KEY, title text NOT NULL)");
            await using (var insert = new NpgsqlCommand("INSERT INTO matter (title) VALUES (@title)", connection))
            {
                insert.Parameters.AddWithValue("title", "崆峒区欠薪");
                await insert.ExecuteNonQueryAsync(Token);
            }
            Assert.Equal("崆峒区欠薪", await ScalarAsync<string>(connection, "SELECT title FROM matter"));
        }
    }

    [Fact]
    public async Task Databases_use_a_utf8_ctype()
    {
        var server = await PostgresServer.RequireAsync();
        var connectionString = await server.CreateDatabaseAsync();

        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(Token);
        var ctype = await ScalarAsync<string>(connection, "SHOW lc_ctype");
        var encoding = await ScalarAsync<string>(connection, "SHOW server_encoding");

        Assert.Matches("(?i)utf-?8", ctype);
        Assert.Equal("UTF8", encoding);
    }

    [Fact]
    public async Task Shared_server_is_one_instance()
    {
        var server = await PostgresServer.RequireAsync();
        Assert.Same(server, await PostgresServer.Shared);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(Token);
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync(Token))!;
    }
}
