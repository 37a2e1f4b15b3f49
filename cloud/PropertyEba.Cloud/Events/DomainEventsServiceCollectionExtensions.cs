using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace PropertyEba.Cloud.Events;

/// <summary>One handler of one event type, as the dispatcher calls it.</summary>
public sealed record DomainEventHandlerRegistration(Type EventType, Type HandlerType, Func<IServiceProvider, IDomainEvent, CancellationToken, Task> Invoke)
{
    /// <summary>The handler's name in <c>domain_event_deliveries</c>.</summary>
    public string Name => HandlerType.FullName ?? HandlerType.Name;
}

public static class DomainEventsServiceCollectionExtensions
{
    /// <summary>The outbox: its commit interceptor (wakes the dispatcher) and the <see cref="OutboxDispatcher"/>.</summary>
    public static IServiceCollection AddDomainEvents(this IServiceCollection services)
    {
        if (services.Any(d => d.ServiceType == typeof(OutboxSignal)))
        {
            return services;
        }

        // Defaults only (no configuration section yet): tests and hosts tune them with services.Configure<OutboxOptions>.
        services.AddOptions<OutboxOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<OutboxOptions>, OutboxOptionsValidator>());
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<IInterceptor, OutboxCommitInterceptor>();
        services.AddSingleton<OutboxDispatcher>();
        services.AddHostedService(sp => sp.GetRequiredService<OutboxDispatcher>());
        return services;
    }

    /// <summary>
    /// Delivers every <typeparamref name="TEvent"/> to a <typeparamref name="THandler"/>, resolved in a scope of its
    /// own per event (so it may take scoped services).
    /// </summary>
    public static IServiceCollection AddDomainEventHandler<TEvent, THandler>(this IServiceCollection services)
        where TEvent : IDomainEvent
        where THandler : class, IDomainEventHandler<TEvent>
    {
        services.AddDomainEvents();
        if (services.Any(d => d.ServiceType == typeof(DomainEventHandlerRegistration) && d.ImplementationInstance is DomainEventHandlerRegistration r
            && r.EventType == typeof(TEvent) && r.HandlerType == typeof(THandler)))
        {
            return services;
        }

        services.TryAddScoped<THandler>();
        services.AddSingleton(new DomainEventHandlerRegistration(
            typeof(TEvent),
            typeof(THandler),
            (sp, e, ct) => sp.GetRequiredService<THandler>().HandleAsync((TEvent)e, ct)));
        return services;
    }
}
