using Microsoft.EntityFrameworkCore;

namespace Portal.Data.Evaluations;

/// <summary>The tables of datasets and evaluations: datasets, dataset_versions, evaluation_runs, evaluation_cells.</summary>
internal static class EvaluationModel
{
    public static void Configure(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<StoredDataset>(dataset =>
        {
            dataset.ToTable("datasets");
            dataset.HasKey(d => d.Id);
            dataset.Property(d => d.Name).HasMaxLength(200);
            dataset.Property(d => d.Description).HasMaxLength(2000);
            dataset.Property(d => d.OwnerId).HasMaxLength(200);
            dataset.Property(d => d.OwnerName).HasMaxLength(200);
        });

        modelBuilder.Entity<StoredDatasetVersion>(version =>
        {
            version.ToTable("dataset_versions");
            version.HasKey(v => new { v.DatasetId, v.Version });
            version.Property(v => v.FileName).HasMaxLength(260);
            version.Property(v => v.Format).HasMaxLength(10);
            version.Property(v => v.Sha256).HasMaxLength(64);
            version.Property(v => v.CreatedBy).HasMaxLength(200);
        });

        modelBuilder.Entity<EvaluationRunRow>(run =>
        {
            run.ToTable("evaluation_runs");
            run.HasKey(r => r.Id);
            run.Property(r => r.Name).HasMaxLength(200);
            run.Property(r => r.OwnerId).HasMaxLength(200);
            run.Property(r => r.OwnerName).HasMaxLength(200);
            run.Property(r => r.Status).HasMaxLength(20);
            run.Property(r => r.DatasetName).HasMaxLength(200);
            run.Property(r => r.Error).HasMaxLength(2000);
            run.HasIndex(r => r.Status);
        });

        modelBuilder.Entity<EvaluationCellRow>(cell =>
        {
            cell.ToTable("evaluation_cells");
            cell.HasKey(c => new { c.RunId, c.Row, c.Target });
            cell.Property(c => c.Status).HasMaxLength(20);
            cell.Property(c => c.Error).HasMaxLength(2000);
        });
    }
}
