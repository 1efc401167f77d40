console.log("bench: not yet implemented (issue 6)");
