// CLITests.
