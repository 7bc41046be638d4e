from sp_builder.cli import main

main()
