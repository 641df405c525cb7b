from cyberdip.cli import main

main()
