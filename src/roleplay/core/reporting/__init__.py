"""After practice: the debrief, the class report and exports."""
