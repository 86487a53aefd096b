using Portal.Web;

await PortalWebApplication.Create(args).RunAsync();
