"""Reading: input paths (text files, folders, tables) into documents, and their dates."""
