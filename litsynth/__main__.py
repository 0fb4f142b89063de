from litsynth.cli.app import main

main()
