using Archivum.Cli;

return await ArchivumCommandLine.RunAsync(args).ConfigureAwait(false);
