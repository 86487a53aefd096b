using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.EntityFrameworkCore;
using Portal.Data;
using Portal.Data.Connections;

namespace Portal.Web.Connections;

/// <summary>
/// Keeps the Data Protection key ring in the portal's store (SQLite or PostgreSQL), so that keys encrypted by one
/// instance can be read by another and survive restarts. The package that does this
/// (Microsoft.AspNetCore.DataProtection.EntityFrameworkCore) is not on the feed; this is its contract: read every
/// element, store each new one.
/// </summary>
/// <remarks>The store is resolved on first use: Data Protection is configured while the pipeline is built, before the
/// store's settings have been validated.</remarks>
internal sealed class EfXmlRepository(IServiceProvider services) : IXmlRepository
{
    private IDbContextFactory<PortalDbContext> Contexts => services.GetRequiredService<IDbContextFactory<PortalDbContext>>();

    public IReadOnlyCollection<XElement> GetAllElements()
    {
        using var db = Contexts.CreateDbContext();
        return [.. db.DataProtectionKeys.AsNoTracking().OrderBy(k => k.Id).Select(k => k.Xml).ToList().Select(x => XElement.Parse(x))];
    }

    public void StoreElement(XElement element, string friendlyName)
    {
        ArgumentNullException.ThrowIfNull(element);
        using var db = Contexts.CreateDbContext();
        db.DataProtectionKeys.Add(new DataProtectionKeyRow { FriendlyName = friendlyName, Xml = element.ToString(SaveOptions.DisableFormatting) });
        db.SaveChanges();
    }
}
