namespace Concord.Server.Features.Warnings;

/// <summary>
/// Background work on a timer, once the node is ready, each pass in its own scope; a failed pass is
/// logged and the next tick tries again. The work itself is idempotent (unique keys), so several
/// nodes may run it at once.
/// </summary>
public abstract class PeriodicJob(IServiceScopeFactory scopes, IConfiguration configuration, Startup.Readiness readiness, ILogger logger) : BackgroundService
{
    /// <summary>The configuration key of the interval in seconds; 0 or less turns the job off.</summary>
    protected abstract string IntervalKey { get; }

    protected abstract int DefaultSeconds { get; }

    protected abstract Task RunOnceAsync(IServiceProvider services, CancellationToken ct);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var seconds = configuration.GetValue(IntervalKey, DefaultSeconds);
        if (seconds <= 0)
        {
            return;
        }

        using var timer = new PeriodicTimer(TimeSpan.FromSeconds(seconds));
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (!readiness.IsReady)
            {
                continue;
            }

            try
            {
                await using var scope = scopes.CreateAsyncScope();
                await RunOnceAsync(scope.ServiceProvider, stoppingToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                logger.LogWarning(e, "{Job} failed; it runs again at the next interval", GetType().Name);
            }
        }
    }
}
