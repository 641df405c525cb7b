from cyberdip.cli.app import main

main()
