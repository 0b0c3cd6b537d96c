"""The staff loop: what newcomers asked that the bot could not answer, for the staff who
keep the content."""
