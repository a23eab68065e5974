//! spofsim web demo (filled in by the web issue).
