//! spofsim desktop GUI (filled in by the GUI issue).
