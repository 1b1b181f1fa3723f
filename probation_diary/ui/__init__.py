"""The Qt layer: views and models that show and edit the diary. It computes nothing itself."""
