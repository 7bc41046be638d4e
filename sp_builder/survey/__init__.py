"""The Survei Kepuasan Masyarakat: reading survey exports, the index (IKM) per PermenPANRB 14/2017,
and its report."""
