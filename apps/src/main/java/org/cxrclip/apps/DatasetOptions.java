package org.cxrclip.apps;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.cxrclip.train.data.CheXpertDataset;
import org.cxrclip.train.data.CxrLtDataset;
import org.cxrclip.train.data.Dataset;
import org.cxrclip.train.data.LoadOptions;
import org.cxrclip.train.data.ManifestDataset;
import org.cxrclip.train.data.MimicCxrDataset;
import org.cxrclip.train.data.ReportText;
import org.cxrclip.train.data.RsnaDataset;
import org.cxrclip.train.data.UncertainPolicy;
import picocli.CommandLine.Option;

/**
 * Where a command's data set comes from (exactly one source) and the common load options. The source
 * layouts are those the data sets ship in; see each reader in org.cxrclip.train.data for the columns.
 */
final class DatasetOptions {
    @Option(names = "--manifest", paramLabel = "CSV", description = "Our manifest CSV (image, patient_id, [text], [split], labels...).")
    Path manifest;

    @Option(names = "--cxr-lt", paramLabel = "CSV", description = "CXR-LT 2024 label CSV (fpath + 40 labels); needs --mimic-root.")
    Path cxrLt;

    @Option(names = "--mimic-root", paramLabel = "DIR",
            description = "MIMIC-CXR-JPG folder (holds files/ and, without --cxr-lt, mimic-cxr-2.0.0-{metadata,split,chexpert}.csv[.gz]).")
    Path mimicRoot;

    @Option(names = "--mimic-labels", defaultValue = "chexpert", paramLabel = "chexpert|negbio",
            description = "MIMIC's own label file to use without --cxr-lt (default ${DEFAULT-VALUE}).")
    String mimicLabeler;

    @Option(names = "--reports", paramLabel = "DIR", description = "MIMIC-CXR report root (files/pXX/pID/sID.txt) for the text column.")
    Path reports;

    @Option(names = "--report-section", defaultValue = "cleaned", paramLabel = "raw|cleaned|impression|findings",
            description = "Report text kept: cleaned (thesis), impression (CheXzero), findings, raw (default ${DEFAULT-VALUE}).")
    String reportSection;

    @Option(names = "--chexpert", paramLabel = "CSV", description = "CheXpert train.csv or valid.csv.")
    Path chexpert;

    @Option(names = "--chexpert-root", paramLabel = "DIR", description = "Folder the CSV's Path column is relative to (default: the CSV's folder's parent).")
    Path chexpertRoot;

    @Option(names = "--rsna", paramLabel = "CSV", description = "RSNA stage_2_train_labels.csv; needs --rsna-images.")
    Path rsna;

    @Option(names = "--rsna-images", paramLabel = "DIR", description = "Folder of <patientId>.png/.jpg RSNA images.")
    Path rsnaImages;

    @Option(names = "--frontal-only", description = "Keep frontal views only (rows without view information are dropped too).")
    boolean frontalOnly;

    @Option(names = "--uncertain", defaultValue = "zero", paramLabel = "zero|one|ignore",
            description = "Uncertain (-1) labels become 0, 1, or NaN (ignored). Default ${DEFAULT-VALUE}, as both papers.")
    String uncertain;

    @Option(names = "--labels", split = ",", paramLabel = "NAME", description = "Label subset and order (comma-separated names).")
    List<String> labels;

    @Option(names = "--no-check-files", description = "Do not check that every image file exists while loading.")
    boolean noCheckFiles;

    /** Loads the one given source, printing its summary to {@code log}. */
    Dataset load(PrintStream log) throws IOException {
        long given = Arrays.asList(manifest, cxrLt, chexpert, rsna).stream().filter(p -> p != null).count()
                + (cxrLt == null && manifest == null && chexpert == null && rsna == null && mimicRoot != null ? 1 : 0);
        if (given != 1)
            throw new IllegalArgumentException("give exactly one data source: --manifest CSV, --cxr-lt CSV --mimic-root DIR, "
                    + "--mimic-root DIR, --chexpert CSV or --rsna CSV --rsna-images DIR");
        LoadOptions o = LoadOptions.defaults().withFrontalOnly(frontalOnly).withUncertain(UncertainPolicy.parse(uncertain))
                .withLabels(labels).withCheckFiles(!noCheckFiles).withLog(log);
        ReportText.Section section = ReportText.Section.parse(reportSection);
        if (manifest != null) return ManifestDataset.load(manifest, o);
        if (cxrLt != null) {
            if (mimicRoot == null) throw new IllegalArgumentException("--cxr-lt needs --mimic-root DIR (the folder holding files/)");
            return CxrLtDataset.load(cxrLt, mimicRoot, reports, section, o);
        }
        if (chexpert != null) return CheXpertDataset.load(chexpert, chexpertRoot, o);
        if (rsna != null) {
            if (rsnaImages == null) throw new IllegalArgumentException("--rsna needs --rsna-images DIR");
            return RsnaDataset.load(rsna, rsnaImages, o);
        }
        return MimicCxrDataset.load(mimicRoot, mimicLabeler, reports, section, o);
    }

    /** The folder image paths are relative to, for naming prepared copies. */
    Path sourceDir() {
        Path p = manifest != null ? manifest.toAbsolutePath().getParent()
                : cxrLt != null || (chexpert == null && rsna == null) ? mimicRoot
                : chexpert != null ? (chexpertRoot != null ? chexpertRoot : chexpert.toAbsolutePath().getParent().getParent())
                : rsnaImages;
        return p.toAbsolutePath().normalize();
    }
}
