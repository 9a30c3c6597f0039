namespace Concord.Server.Access.PersonalData;

public static class PersonalDataSetup
{
    /// <summary>
    /// Registers the key ring, <see cref="PersonalDataProtector"/>, <see cref="MatterPersonalData"/>
    /// and <see cref="PersonalDataRekeying"/>. Malformed or incomplete key settings, and missing keys
    /// on PostgreSQL, throw here, before the host is built. The key file (SQLite without configured
    /// keys) is read or generated when the host starts, not at registration, so that tools which only
    /// build the host leave no file behind.
    /// </summary>
    public static IServiceCollection AddPersonalData(this IServiceCollection services, IConfiguration configuration)
    {
        var configured = PersonalDataKeyRing.FromConfiguration(configuration);
        if (configured is null)
        {
            PersonalDataKeyRing.EnsureFallbackAllowed(configuration);
        }

        services.AddSingleton(sp => configured ?? PersonalDataKeyRing.Load(configuration, sp.GetRequiredService<ILogger<PersonalDataKeyRing>>()));
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<MatterPersonalData>();
        services.AddScoped<PersonalDataRekeying>();
        services.AddScoped<PersonalDataRetention>();
        services.AddHostedService<PersonalDataRetentionService>();
        services.AddHostedService<PersonalDataKeyCheck>();
        return services;
    }
}

/// <summary>Loads the keys as the host starts, before Kestrel listens, so a fault stops the start rather than the first request.</summary>
internal sealed class PersonalDataKeyCheck(IServiceProvider services, ILogger<PersonalDataKeyCheck> logger) : IHostedLifecycleService
{
    public Task StartingAsync(CancellationToken cancellationToken)
    {
        var keys = services.GetRequiredService<PersonalDataKeyRing>();
        logger.LogInformation(
            "Personal data: new values under key {Current}; readable keys {Keys}; from {Source}.",
            keys.CurrentKeyId, string.Join(", ", keys.KeyIds), keys.Source);
        return Task.CompletedTask;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
