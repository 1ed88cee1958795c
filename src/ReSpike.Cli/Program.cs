using System.CommandLine;
using ReSpike.Cli;
using ReSpike.Cli.Commands;

// The CLI only parses and prints; everything it does is a library call (src/ReSpike).
var root = new RootCommand("ReSpike.NET: hybrid ANN-SNN video action recognition (residual frames drive a spiking network).");
root.Subcommands.Add(EnvCommand.Create());
root.Subcommands.Add(InitCommand.Create());
root.Subcommands.Add(ParityCommand.Create());
root.Subcommands.Add(BenchCommand.Create());
return CliRunner.Run(root, args);
