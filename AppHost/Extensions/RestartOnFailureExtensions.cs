using Aspire.Hosting.ApplicationModel;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Aspire.Hosting;

/// <summary>
/// Aspire restarts nothing by itself: a crashed resource stays down until someone presses Start. This restarts it the way
/// a supervisor would (see <see cref="RestartBackoff"/>), through the same start command the dashboard uses.
/// </summary>
public static class RestartOnFailureExtensions
{
    public static IResourceBuilder<T> WithRestartOnFailure<T>(this IResourceBuilder<T> builder, RestartBackoff? backoff = null)
        where T : IResource
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (builder.ApplicationBuilder.ExecutionContext.IsRunMode)
            builder.ApplicationBuilder.Services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RestartOnFailureService>());
        return builder.WithAnnotation(new RestartOnFailureAnnotation(backoff ?? RestartBackoff.Default), ResourceAnnotationMutationBehavior.Replace);
    }
}
