using ReSpike.Cli;

// The CLI only parses and prints; everything it does is a library call (src/ReSpike).
return CliRunner.Run(CliApp.Create(), args);
