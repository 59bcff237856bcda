"""ShenGuan (审管通): approval/supervision coordination under 营政办发〔2020〕25号."""

__version__ = "0.1.0"
