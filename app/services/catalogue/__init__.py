"""The item catalogue in versions (Art. 7): workflow (versions), differences (diff), the working
item list (working) and the signed publication to every office (publish). See docs/catalogue.md."""
